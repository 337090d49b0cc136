class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the person picked another language in the footer.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many office PCs in the
    province run English Windows: they would get an English portal nobody asked for. The choice
    made with the language switcher (a cookie) is still honoured.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
