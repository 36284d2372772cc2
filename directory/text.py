"""Text folding shared by the directory's look-ups and search index."""

import re
import unicodedata

# NFKD leaves these ligatures whole (they are letters of their own, not composed ones), and
# people type "oe" for "œ": "Œuilly" must be found from "oeuilly".
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})

# Everything that is not a letter or a digit separates words: hyphens, apostrophes (straight
# or typographic), dots, slashes, underscores...
_SEPARATORS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces.

    "L'Abergement-Clémenciat" -> "l abergement clemenciat", "Saint-Étienne" -> "saint etienne".
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", without_accents.casefold()).strip()
