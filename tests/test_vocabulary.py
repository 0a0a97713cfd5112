import pytest

from pixelscrub.pixels.text.vocabulary import load_vocabulary


@pytest.mark.parametrize("word", [
    "MI", "TIS", "Gn", "2D", "C5-1", "L12-5", "18cm", "28Hz", "Bcm", "55%", "TISO.4", "MI=0.8", "Gn60", "AO=100%",
    "LVIDd", "SaO2", "Sa02", "mGy", "630P630", "3/3/4",
])
def test_clinical_words_and_parameters_are_explained(word):
    assert load_vocabulary().explains(word, numbers=False)


@pytest.mark.parametrize("word", ["DOE", "SMITH5", "KOWALSKI", "40x", "SOY", "ACC12345", "Citizen"])
def test_names_ids_and_misread_ages_are_not(word):
    assert not load_vocabulary().explains(word)


def test_plain_numbers_count_only_when_asked():
    vocabulary = load_vocabulary()
    assert vocabulary.explains("1.06") and not vocabulary.explains("1.06", numbers=False)
    assert vocabulary.explains("12345678") and not vocabulary.explains("12345678", numbers=False)
