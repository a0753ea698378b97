"""OCR's slips in the text of a name, title or company line, repaired before the line is
judged: a lone letter made of an icon, a lower-case letter inside a word in capitals, a
garbled legal form, stray marks, a comma read for an initial's dot."""

from __future__ import annotations

import re

from .cjk_people import has_cjk
from .lexicon import legal_suffix


def initial_comma(text: str) -> str:
    """'Margaret C, Martin': a comma after a lone capital inside a line is the dot of an
    initial (a 'Family, Given' comma follows a whole word)."""
    return re.sub(r"(?<=\s[A-Z]),(?=\s+[A-Z])", ".", text)


def caps_slip(text: str) -> str:
    """'LoFFLER Kirstin': one lower-case letter inside a word in capitals is OCR's slip
    (a family name printed in capitals); 'McDONALD' keeps its prefix."""
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if sum(ch.islower() for ch in word) != 1 or re.match(r"M[a]?c|O'", word):
            return word
        return word.upper()

    return re.sub(r"\b[^\W\d_][^\W\d_]*[A-Z][^\W\d_]*\b",
                  lambda m: fix(m) if len(m.group(0)) >= 5 and m.group(0)[0].isupper() else
                  m.group(0), text)


def trim_stray(text: str) -> str:
    """'Manuel Howell O', 'e Senior Consultant': a lone letter OCR made of an icon or a
    logo at either end of a line (not an initial, which has its dot)."""
    tokens = text.split()
    if has_cjk(text):
        return text  # '原 成 月': CJK names and words are letter-spaced, one character apart
    if len(tokens) >= 3 and re.fullmatch(r"[lI]{2,3}", tokens[-1]) and "I" in tokens[-1] and \
            tokens[-2][:1].isupper():
        tokens[-1] = "I" * len(tokens[-1])  # 'Gernot Koch Il': the suffix II, an l misread
    while len(tokens) >= 2 and re.fullmatch(r"[lI|1!]{1,3}", tokens[-1]) and \
            not (len(tokens) >= 3 and tokens[-1] in ("II", "III")):
        tokens.pop()  # 'BANDELLO ll': a rule or a logo edge read as letters
    while len(tokens) >= 3 and len(tokens[-1]) == 1 and not tokens[-1].isdigit() and \
            not tokens[-1].islower() and tokens[-1] not in "&+-–":
        tokens.pop()  # (a lower-case letter may be 'e' / 'y' / 'i' = and)
    while len(tokens) >= 3 and len(tokens[0]) == 1 and not tokens[0].isdigit() and \
            tokens[0] not in "&+":
        tokens.pop(0)
    return " ".join(tokens)


def company_text(text: str) -> str:
    """Whitespace and stray punctuation cleaned, an '&' spaced on both sides when OCR lost
    one space; a dotted legal form that lost its final dot to OCR gets it back ('e.K' ->
    'e.K.', 'S.r.l' -> 'S.r.l.')."""
    text = drop_stray(" ".join(text.split()).strip(" ,;|-"))
    # 'Young& Evans': a space OCR lost on one side of an '&' ('AT&T' has none on either)
    text = re.sub(r"(?<=\S)&(?=\s)|(?<=\s)&(?=\S)", " & ", text).replace("  ", " ")
    if "(" not in text:  # 'Berme)jo': a bracket inside a word that opens nothing
        text = re.sub(r"(?<=[^\W\d])[)\]}](?=[^\W\d])", "", text)
    return re.sub(r"(?<=\s)((?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2})$", r"\1.", text)


def legal_slip(text: str) -> str:
    """A legal form ending a line with an OCR slip, repaired ('S.r.i.' -> 'S.r.l.', 'GrnbH' ->
    'GmbH', 'Itd' -> 'Ltd', '8.L.U' -> 'S.L.U'), or glued to the name ('DynamicsLtd.'), so
    that it counts as one."""
    text = re.sub(r"(?<=[a-z]{3})(?=(?:Ltd|GmbH|Inc|LLC|LLP|Corp|Limited)\.?$)|"
                  r"(?<=[A-Z]{3})(?=(?:LTD|GMBH|LLC|LLP|LIMITED)\.?$)", " ", text)
    head, _, last = text.rstrip(",;").rpartition(" ")
    if not head or is_legal_form(last):
        return text
    fixed = re.sub(r"(?<![A-Za-z])[i1I|!](?=\.)", "l", last).replace("rn", "m")
    fixed = re.sub(r"^[1I|](?=td\.?$)", "L", fixed)
    # a digit for the first letter of a dotted form: '8.L.U.', '5.A.', '8.V.'
    for guess in (fixed, re.sub(r"^[58](?=\.)", "S", fixed), re.sub(r"^8(?=\.)", "B", fixed)):
        if guess != last and is_legal_form(guess):
            return f"{head} {guess}"
    return text


def is_legal_form(token: str) -> bool:
    return (legal_suffix(f"x {token}") or "").strip(" ,.").lower() == token.strip(" ,.").lower()


_STRAY = re.compile(r"(?<!\S)[~^*_=<>«»`'\"°¬¦§¢{}\[\]\\]+(?!\S)")


def drop_stray(text: str) -> str:
    """'Jefe ~ de Ventas': a token of stray marks OCR made of a speck or an icon."""
    return " ".join(_STRAY.sub(" ", text).split())
