"""Nynorsk variants in a course package (issue 22): the loader takes them beside
each module and quiz, and reports every difference between a quiz variant and its
bokmål quiz with path:line."""

from pathlib import Path

from modules.catalog.package_format import check_packages
from tests.conftest import MODULE_MD, QUIZ_TOML, write_package

NN_MODULE = """\
+++
title = "Fyrste modul på nynorsk"
summary = "Kort om modulen på nynorsk."
+++

# Innleiing

Tekst om kvifor politiet involverer innbyggjarane, med ein [mal](files/mal.md).
"""

# The bokmål QUIZ_TOML with nynorsk texts: the same ids, types and keys.
NN_QUIZ = """\
pass_percent = 50
draw = 2
shuffle = true

[[questions]]
id = "q1"
type = "single"
text = "Kva er rett?"
choices = ["Rett", "Gale"]
correct = [0]
explanation = "Difor."

[[questions]]
id = "q2"
type = "truefalse"
text = "Inviterer politiet?"
answer = true
explanation = "Ja."
"""


def variant_package(root: Path, *, nn_quiz: str | None = NN_QUIZ,
                    nn_module: str | None = NN_MODULE) -> Path:
    folder = write_package(root / "kurs", extra_manifest=(
        'title_nn = "Prøvekurs på nynorsk"\nsummary_nn = "Eit lite kurs."'))
    if nn_module is not None:
        (folder / "01-forste.nn.md").write_text(nn_module, encoding="utf-8")
    if nn_quiz is not None:
        (folder / "01-forste.nn.quiz.toml").write_text(nn_quiz, encoding="utf-8")
    return folder


def problems_of(root: Path) -> list[str]:
    return [str(p) for package in check_packages([root], [root]) for p in package.problems]


def test_variants_are_loaded_beside_their_module_not_as_modules(tmp_path):
    variant_package(tmp_path)
    [package] = check_packages([tmp_path], [tmp_path])
    assert package.problems == []
    assert package.module_refs == ["kurs/forste", "kurs/andre"]
    assert package.variants == {"nn": {"title": "Prøvekurs på nynorsk",
                                       "summary": "Eit lite kurs."}}
    variant = package.modules["forste"].variants["nn"]
    assert (variant.title, variant.summary) == ("Fyrste modul på nynorsk",
                                                "Kort om modulen på nynorsk.")
    assert "kvifor politiet" in variant.body
    assert [q["text"] for q in variant.quiz.questions] == ["Kva er rett?",
                                                           "Inviterer politiet?"]
    assert package.modules["andre"].variants == {}


def test_a_variant_changes_the_module_content_hash(tmp_path):
    folder = variant_package(tmp_path)
    [before] = check_packages([tmp_path], [tmp_path])
    (folder / "01-forste.nn.md").write_text(NN_MODULE.replace("Tekst", "Tekst no"), "utf-8")
    [after] = check_packages([tmp_path], [tmp_path])
    assert before.modules["forste"].content_hash != after.modules["forste"].content_hash
    assert before.modules["andre"].content_hash == after.modules["andre"].content_hash


def test_changed_key_is_reported_at_its_line(tmp_path):
    folder = variant_package(tmp_path, nn_quiz=NN_QUIZ.replace("correct = [0]", "correct = [1]"))
    assert problems_of(tmp_path) == [
        f"{folder / '01-forste.nn.quiz.toml'}:10: spørsmålet «q1» har et annet «correct» "
        "enn på bokmål"]


def test_changed_truefalse_answer_is_reported(tmp_path):
    folder = variant_package(tmp_path, nn_quiz=NN_QUIZ.replace("answer = true", "answer = false"))
    assert problems_of(tmp_path) == [
        f"{folder / '01-forste.nn.quiz.toml'}:17: spørsmålet «q2» har et annet «answer» "
        "enn på bokmål"]


def test_missing_question_is_reported(tmp_path):
    without_q2 = NN_QUIZ.split('\n[[questions]]\nid = "q2"')[0].replace("draw = 2", "draw = 1")
    folder = variant_package(tmp_path, nn_quiz=without_q2)
    path = folder / "01-forste.nn.quiz.toml"
    assert problems_of(tmp_path) == [
        f"{path}:2: «draw» er 1 her, men 2 i quizen på bokmål",
        f"{path}:11: spørsmålet «q2» fra quizen på bokmål mangler her"]


def test_extra_question_is_reported_at_its_id(tmp_path):
    extra = NN_QUIZ + '\n[[questions]]\nid = "q3"\ntype = "truefalse"\ntext = "Ekstra?"\n' \
        'answer = false\nexplanation = "Nei."\n'
    folder = variant_package(tmp_path, nn_quiz=extra)
    assert problems_of(tmp_path) == [
        f"{folder / '01-forste.nn.quiz.toml'}:21: spørsmålet «q3» finnes ikke i quizen "
        "på bokmål"]


def test_different_number_of_choices_and_settings_are_reported(tmp_path):
    changed = NN_QUIZ.replace('choices = ["Rett", "Gale"]',
                              'choices = ["Rett", "Gale", "Veit ikkje"]').replace(
        "pass_percent = 50", "pass_percent = 60")
    folder = variant_package(tmp_path, nn_quiz=changed)
    path = folder / "01-forste.nn.quiz.toml"
    assert problems_of(tmp_path) == [
        f"{path}:1: «pass_percent» er 60 her, men 50 i quizen på bokmål",
        f"{path}:9: spørsmålet «q1» har 3 elementer i «choices» her, men 2 på bokmål"]


def test_changed_type_is_reported(tmp_path):
    changed = NN_QUIZ.replace('type = "truefalse"', 'type = "single"').replace(
        "answer = true", 'choices = ["Ja", "Nei"]\ncorrect = [0]')
    folder = variant_package(tmp_path, nn_quiz=changed)
    assert problems_of(tmp_path) == [
        f"{folder / '01-forste.nn.quiz.toml'}:15: spørsmålet «q2» har typen «single» her, "
        "men «truefalse» på bokmål"]


def test_variant_without_module_and_quiz_variant_without_module_variant(tmp_path):
    folder = variant_package(tmp_path, nn_module=None)
    (folder / "03-borte.nn.md").write_text(NN_MODULE, encoding="utf-8")
    assert sorted(problems_of(tmp_path)) == [
        f"{folder / '01-forste.nn.quiz.toml'}:1: quizvarianten mangler modulvarianten "
        "01-forste.nn.md",
        f"{folder / '03-borte.nn.md'}:1: varianten hører ikke til noen modul "
        "(fant ikke 03-borte.md)"]


def test_variant_front_matter_takes_texts_only(tmp_path):
    folder = variant_package(tmp_path, nn_module=NN_MODULE.replace(
        'title = "Fyrste', 'minutes = 5\ntitle = "Fyrste'))
    assert problems_of(tmp_path) == [f"{folder / '01-forste.nn.md'}:2: ukjent nøkkel «minutes»"]


def test_quiz_variant_for_a_module_without_quiz(tmp_path):
    folder = variant_package(tmp_path, nn_quiz=None)
    (folder / "02-andre.nn.md").write_text(NN_MODULE, encoding="utf-8")
    (folder / "02-andre.nn.quiz.toml").write_text(QUIZ_TOML, encoding="utf-8")
    assert problems_of(tmp_path) == [
        f"{folder / '02-andre.nn.quiz.toml'}:1: quizvarianten har ingen quiz å være "
        "variant av (fant ikke 02-andre.quiz.toml)"]


def test_bokmal_module_unchanged_by_variant(tmp_path):
    variant_package(tmp_path)
    [package] = check_packages([tmp_path], [tmp_path])
    assert package.modules["forste"].title == "Første modul"
    assert MODULE_MD.split("+++")[2].strip() == package.modules["forste"].body.strip()
