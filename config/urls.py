from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from units.forms import SignInForm
from units.views.account import (
    InvitationAcceptView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
)

from . import views

admin.site.site_header = _("Emulation campaign portal – administration")
admin.site.site_title = _("Emulation campaign portal")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", views.home, name="home"),
    # For the reverse proxy / load balancer: public, uncached, database reachable or 503.
    path("health/", views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(
        form_class=SignInForm, redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    # "Quên mật khẩu?": public, like the sign-in page.
    path("accounts/password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    # A new account's invitation: public too, its owner has no password yet.
    path("accounts/invitation/<uidb64>/<token>/", InvitationAcceptView.as_view(),
         name="invitation_accept"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("units.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("tasks/", include("tasks.urls")),
    path("scoring/", include("scoring.urls")),
    path("awards/", include("awards.urls")),
    # One place to change one's password, the one that applies and lifts a forced change.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
