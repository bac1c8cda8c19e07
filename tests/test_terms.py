"""Content terms (harness/scorers/terms.py): what two texts are compared on, zh and en."""

from harness.scorers.terms import content_terms, overlap


def test_han_characters_end_an_english_word():
    # Chinese text around a code name or a product keeps the name as a word of its own
    assert "const" in content_terms("那const呢？")
    assert {"python", "json"} <= content_terms("Python里怎么读取JSON文件？")
    assert not any(any("\u4e00" <= ch <= "\u9fff" for ch in t) and any(ch.isascii() and ch.isalpha() for ch in t)
                   for t in content_terms("const和let一样是块级作用域"))  # no mixed-script term
    assert overlap(content_terms("那const呢？"), content_terms("const和let一样是块级作用域")) == 1.0


def test_stems_stopwords_and_bigrams():
    assert content_terms("the ocean's waves") == content_terms("waves of the ocean")
    assert "海浪" in content_terms("海浪拍打着礁石") and "我们" not in content_terms("我们去看海")
