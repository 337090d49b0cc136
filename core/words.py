"""Amounts in Vietnamese words, as a payment list writes its total: "Bằng chữ: Mười bảy triệu
năm trăm năm mươi nghìn đồng."

The reading rules accountants use: each group of three digits is read with its scale (nghìn,
triệu, tỷ; above a thousand billion the part before "tỷ" is read as a number of its own:
"một nghìn hai trăm tỷ"); a group after the first says its empty hundreds ("một nghìn không
trăm linh năm"); "linh" stands for empty tens before a unit; "mốt" is a one after twenty and
more, "lăm" a five after ten and more; "mười" is ten; groups of zeros are not read.
"""

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu"]  # each below a billion (tỷ)


def _group(number: int, full: bool) -> list[str]:
    """The words of 0 < number < 1000; `full` when a group stands before it (so its empty
    hundreds and tens are said)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return words


def _words(number: int, full: bool = False) -> list[str]:
    billions, rest = divmod(number, 1_000_000_000)
    words = []
    if billions:
        words += _words(billions, full) + ["tỷ"]
    groups = [rest // 1_000_000, rest // 1000 % 1000, rest % 1000]
    for index, group in enumerate(groups):
        if group:
            words += _group(group, full or bool(words))
            scale = SCALES[2 - index]
            if scale:
                words.append(scale)
    return words


def number_in_words(number: int) -> str:
    """'mười bảy triệu năm trăm năm mươi nghìn' for 17550000; 'không' for 0; whole numbers
    only, negative ones with 'âm'."""
    number = int(number)
    if number == 0:
        return DIGITS[0]
    sign = ["âm"] if number < 0 else []
    return " ".join(sign + _words(abs(number)))


def amount_in_words(amount: int) -> str:
    """'Mười bảy triệu năm trăm năm mươi nghìn đồng': capitalised, with the currency."""
    text = f"{number_in_words(amount)} đồng"
    return text[:1].upper() + text[1:]
