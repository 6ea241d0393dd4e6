"""Issue 18.18: templates in files/*.md are also offered as Word files made at sync;
the practice prompt links the template (no raw "(files/…)") and says where it is."""

from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from modules.catalog.models import CourseFile
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.learning import services as learning
from tests.conftest import MODULE_MD, login, write_package

PRACTICE = MODULE_MD.replace('summary = "Kort om modulen."', '''summary = "Kort om modulen."

[practice]
prompt = """
Bruk [malen](files/mal.md) og lever planen.
"""''')

TEMPLATE = """# Mal for plan

Fyll inn **kort**.

| Felt | Svar |
| --- | --- |
| Enhet | |

- Hva er målet?
- Hvem er *berørt*?
"""


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "proveko", modules={
        "01-forste": (PRACTICE.format(title="Første modul"), None)})
    (folder / "proveko" / "files" / "mal.md").write_text(TEMPLATE, encoding="utf-8")
    return folder


def test_sync_makes_a_word_copy_and_pages_link_it(app, client, make_user):
    assert not sync_courses().failed
    db.session.commit()
    names = set(db.session.scalars(db.select(CourseFile.name)))
    assert names == {"mal.md", "mal.docx"}
    user = make_user(name="Siri Ødegård")
    learning.enrol(user, get_course_by_slug("proveko"))
    db.session.commit()
    login(client, user)
    response = client.get("/courses/proveko/files/mal.docx")
    assert response.status_code == 200
    assert response.content_type.startswith("application/vnd.openxmlformats")
    assert 'filename="mal.docx"' in response.headers["Content-Disposition"]
    document = Document(BytesIO(response.data))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Mal for plan" and document.paragraphs[0].style.name == "Heading 1"
    assert "Fyll inn kort." in texts and "Hva er målet?" in texts
    assert document.paragraphs[texts.index("Hva er målet?")].style.name == "List Bullet"
    assert [c.text for c in document.tables[0].rows[1].cells] == ["Enhet", ""]
    assert document.core_properties.title == "Mal for plan"

    page = client.get("/courses/proveko/m/forste").get_data(as_text=True)
    assert 'href="/courses/proveko/files/mal.docx">som Word-fil</a>' in page
    prompt = page[page.index('id="praksis"'):]
    assert 'href="/courses/proveko/files/mal.md">malen</a>' in prompt
    assert "(files/" not in page


def test_shipped_courses_do_not_point_the_wrong_way():
    for path in Path("courses").glob("*/*.md"):
        text = path.read_text(encoding="utf-8")
        assert "øverst på siden" not in text, path
        assert "(files/" not in text.replace("](files/", ""), path
