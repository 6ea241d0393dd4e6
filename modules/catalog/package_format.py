"""Course package format, version 1: parse and validate packages from disk.

This is the platform's side of the contract in docs/course-format.md. Every
problem is collected (never raised) as ``path:line: message``; a package with
any problem is not loaded. Nothing here touches the database.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from modules.core.i18n import _

from .format_common import (
    Problem,
    Reporter,
    check_review,
    default_review,
    parse_toml,
    read_text,
    valid,
)
from .quiz_cues import COUNTERS
from .quiz_format import QuizSpec, compare_quiz_variant, parse_quiz
from .toml_lines import key_lines, line_of

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MODULE_FILE = re.compile(r"^(\d{2})-(.+)\.md$")
QUIZ_FILE = re.compile(r"^(\d{2})-(.+)\.quiz\.toml$")
#: The written standards a module, quiz or course text may have a variant in, beside
#: the package's own (bokmål): ``NN-slug.nn.md``, ``NN-slug.nn.quiz.toml``, ``title_nn``.
VARIANT_LANGUAGES = ("nn",)
VARIANT_MODULE_FILE = re.compile(r"^(\d{2})-(.+)\.(nn)\.md$")
VARIANT_QUIZ_FILE = re.compile(r"^(\d{2})-(.+)\.(nn)\.quiz\.toml$")
RESOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")

TRACKS = ("basis", "spesialist", "kursholder", "etterutdanning")
AREAS = ("involvering", "fasilitering", "tjenestedesign", "kursholder")
SIGNOFF_BY = ("kursholder",)
IGNORED_FILES = re.compile(r"^(README|LICENSE|LISENS|CHANGELOG)(\.[a-z]+)?$|^\.", re.IGNORECASE)

#: Bump when rendering of stored content changes (Markdown options, heading rules).
RENDER_VERSION = "render-3"
MAX_RESOURCE_BYTES = 20_000_000

COURSE_KEYS = {"title": str, "summary": str, "track": str, "audience": str, "language": str,
               "prerequisites": list, "modules": list, "completion": dict, "certificate": dict,
               "quizzes": dict, "title_nn": str, "summary_nn": str, "audience_nn": str}
QUIZZES_KEYS = {"max_attempts": int, "retry_after_minutes": int, "review": dict,
                "cue_threshold_percent": int}
DEFAULT_CUE_THRESHOLD_PERCENT = 35
#: Course texts that may have a variant, each as ``<key>_<language>`` in course.toml.
COURSE_VARIANT_KEYS = ("title", "summary", "audience")
COMPLETION_KEYS = {"quizzes_passed": bool, "practice_approved": bool, "attendance_percent": int}
CERTIFICATE_KEYS = {"title": str, "valid_months": int, "signoff_by": str,
                    "renewal_course": str}
FRONT_MATTER_KEYS = {"title": str, "area": str, "minutes": int, "summary": str, "practice": dict}
#: A variant file (NN-slug.nn.md) translates texts only; area and minutes are the module's.
VARIANT_FRONT_MATTER_KEYS = {"title": str, "summary": str, "practice": dict}
PRACTICE_KEYS = {"prompt": str}


@dataclass
class ModuleVariant:
    """The texts of a module in another written standard (from NN-slug.<lang>.md)."""

    language: str
    path: Path
    title: str
    summary: str
    practice_prompt: str | None
    body: str
    quiz: QuizSpec | None = None  # same ids and keys as the module's quiz, other texts


@dataclass
class ModuleSpec:
    course_slug: str
    slug: str
    position: int
    path: Path
    title: str
    area: str
    minutes: int
    summary: str
    practice_prompt: str | None
    body: str
    body_line: int  # line in the file where the Markdown body starts
    quiz: QuizSpec | None
    content_hash: str
    variants: dict[str, ModuleVariant] = field(default_factory=dict)  # by language

    @property
    def ref(self) -> str:
        return f"{self.course_slug}/{self.slug}"


@dataclass
class PackageSpec:
    slug: str
    path: Path
    title: str = ""
    summary: str = ""
    track: str = ""
    audience: str = ""
    language: str = "nb"
    prerequisites: list[str] = field(default_factory=list)
    module_refs: list[str] = field(default_factory=list)  # "course/module" in order
    completion: dict = field(default_factory=dict)
    certificate: dict | None = None
    variants: dict[str, dict[str, str]] = field(default_factory=dict)  # "nn" -> {"title": ...}
    modules: dict[str, ModuleSpec] = field(default_factory=dict)  # own modules by slug
    resources: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    version: str = ""
    # [quizzes] in course.toml: defaults for the package's own quizzes
    quiz_defaults: dict = field(default_factory=dict)
    review_defaults: dict = field(default_factory=dict)
    cue_threshold_percent: int = DEFAULT_CUE_THRESHOLD_PERCENT
    warnings: list[Problem] = field(default_factory=list)  # never stop a package loading
    cue_counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))

    @property
    def ok(self) -> bool:
        return not self.problems


# --- discovery -----------------------------------------------------------------

def find_package_dirs(paths: list[Path]) -> list[Path]:
    """A path holding course.toml is one package; otherwise each visible
    sub-folder of it is a package (and is reported if it lacks course.toml)."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if (path / "course.toml").is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(child for child in sorted(path.iterdir())
                         if child.is_dir() and not child.name.startswith((".", "_")))
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    return list(unique)


# --- one package -----------------------------------------------------------------

def parse_package(path: Path) -> PackageSpec:
    """Parse one package folder; cross-package references are checked later."""
    path = Path(path)
    package = PackageSpec(slug=path.name, path=path)
    manifest = path / "course.toml"
    if not SLUG.match(path.name):
        package.problems.append(Problem(str(path), 1, _(
            "ugyldig kursnavn «%(slug)s»: bruk små bokstaver a–z, tall og bindestrek",
            slug=path.name)))
    if not manifest.is_file():
        package.problems.append(Problem(str(manifest), 1, _("mangler course.toml")))
        return package
    _parse_manifest(package, manifest)
    _parse_resources(package)
    _parse_modules(package)
    _check_module_list(package)
    return package


def _parse_manifest(package: PackageSpec, manifest: Path) -> None:
    text = read_text(manifest, package)
    if text is None:
        return
    data = parse_toml(text, manifest, package)
    if data is None:
        return
    report = Reporter(package, manifest, text)
    report.check_keys(data, COURSE_KEYS, required=("title", "summary", "track"))
    if valid(data, "title", str):
        package.title = data["title"].strip()
        if not package.title:
            report.add(_("«title» kan ikke være tom"), "", "title")
    if valid(data, "summary", str):
        package.summary = data["summary"].strip()
    if valid(data, "track", str):
        package.track = data["track"]
        if data["track"] not in TRACKS:
            report.add(_("ukjent spor «%(v)s»; gyldige: %(all)s", v=data["track"],
                         all=", ".join(TRACKS)), "", "track")
    if valid(data, "audience", str):
        package.audience = data["audience"].strip()
    for language in VARIANT_LANGUAGES:
        texts = {key: data[f"{key}_{language}"].strip() for key in COURSE_VARIANT_KEYS
                 if valid(data, f"{key}_{language}", str) and data[f"{key}_{language}"].strip()}
        if texts:
            package.variants[language] = texts
    if valid(data, "language", str):
        package.language = data["language"]
        if not LANGUAGE.match(data["language"]):
            report.add(_("ugyldig språkkode «%(v)s»", v=data["language"]), "", "language")
    if valid(data, "prerequisites", list):
        for slug in data["prerequisites"]:
            if not isinstance(slug, str) or not SLUG.match(slug):
                report.add(_("ugyldig forkunnskapskrav «%(v)s»", v=slug), "", "prerequisites")
            elif slug == package.slug:
                report.add(_("kurset kan ikke kreve seg selv"), "", "prerequisites")
            elif slug not in package.prerequisites:
                package.prerequisites.append(slug)
    if valid(data, "modules", list):
        package.module_refs = []
        for ref in data["modules"]:
            if not isinstance(ref, str) or not _valid_ref(ref):
                report.add(_("ugyldig modulreferanse «%(v)s»", v=ref), "", "modules")
                continue
            full = ref if "/" in ref else f"{package.slug}/{ref}"
            if full in package.module_refs:
                report.add(_("modulen «%(v)s» står flere ganger", v=ref), "", "modules")
            else:
                package.module_refs.append(full)
        if not data["modules"]:
            report.add(_("«modules» kan ikke være tom"), "", "modules")
    completion = {"quizzes_passed": True, "practice_approved": False, "attendance_percent": 0}
    if valid(data, "completion", dict):
        report.check_keys(data["completion"], COMPLETION_KEYS, "completion")
        for key, expected in COMPLETION_KEYS.items():
            if valid(data["completion"], key, expected):
                completion[key] = data["completion"][key]
        if not 0 <= completion["attendance_percent"] <= 100:
            report.add(_("«attendance_percent» må være mellom 0 og 100"), "completion",
                       "attendance_percent")
    package.completion = completion
    if valid(data, "certificate", dict):
        certificate = data["certificate"]
        report.check_keys(certificate, CERTIFICATE_KEYS, "certificate", required=("title",))
        package.certificate = {
            "title": certificate.get("title", "") if valid(certificate, "title", str) else "",
            "valid_months": certificate.get("valid_months", 0)
            if valid(certificate, "valid_months", int) else 0,
            "signoff_by": certificate.get("signoff_by")
            if valid(certificate, "signoff_by", str) else None,
        }
        if package.certificate["valid_months"] < 0:
            report.add(_("«valid_months» kan ikke være negativ"), "certificate", "valid_months")
        signoff = package.certificate["signoff_by"]
        if signoff is not None and signoff not in SIGNOFF_BY:
            report.add(_("ukjent «signoff_by» «%(v)s»; gyldige: %(all)s", v=signoff,
                         all=", ".join(SIGNOFF_BY)), "certificate", "signoff_by")
        if valid(certificate, "renewal_course", str):
            refresher = certificate["renewal_course"]
            if not SLUG.match(refresher) or refresher == package.slug:
                report.add(_("«renewal_course» må være kortnavnet til et annet kurs"),
                           "certificate", "renewal_course")
            else:
                package.certificate["renewal_course"] = refresher
    _parse_quiz_defaults(package, report, data)


def _parse_quiz_defaults(package: PackageSpec, report: Reporter, data: dict) -> None:
    """``[quizzes]``: course-wide defaults a quiz file may override."""
    review = {}
    if valid(data, "quizzes", dict):
        quizzes = data["quizzes"]
        report.check_keys(quizzes, QUIZZES_KEYS, "quizzes")
        for key in ("max_attempts", "retry_after_minutes"):
            if valid(quizzes, key, int):
                if quizzes[key] < 0:
                    report.add(_("«%(key)s» kan ikke være negativ", key=key), "quizzes", key)
                else:
                    package.quiz_defaults[key] = quizzes[key]
        if valid(quizzes, "cue_threshold_percent", int):
            if not 0 <= quizzes["cue_threshold_percent"] <= 100:
                report.add(_("«cue_threshold_percent» må være mellom 0 og 100"), "quizzes",
                           "cue_threshold_percent")
            else:
                package.cue_threshold_percent = quizzes["cue_threshold_percent"]
        if valid(quizzes, "review", dict):
            table = "quizzes.review" if ("quizzes.review",) in report.lines else "quizzes"
            review = check_review(report, quizzes["review"], table)
    package.review_defaults = {**default_review(package.certificate is not None), **review}


def _valid_ref(ref: str) -> bool:
    parts = ref.split("/")
    return 1 <= len(parts) <= 2 and all(SLUG.match(part) for part in parts)


def _parse_resources(package: PackageSpec) -> None:
    folder = package.path / "files"
    if not folder.exists():
        return
    if not folder.is_dir():
        package.problems.append(Problem(str(folder), 1, _("«files» må være en mappe")))
        return
    for item in sorted(folder.iterdir()):
        if item.name.startswith("."):
            continue
        if item.is_dir() or not RESOURCE_NAME.match(item.name):
            package.problems.append(Problem(str(item), 1, _(
                "ugyldig filnavn i files/: bruk bokstaver, tall, punktum og bindestrek, "
                "ingen undermapper")))
            continue
        if item.stat().st_size > MAX_RESOURCE_BYTES:
            package.problems.append(Problem(str(item), 1, _("filen er for stor (over 20 MB)")))
            continue
        package.resources[item.name] = item


def _parse_modules(package: PackageSpec) -> None:
    positions: dict[int, str] = {}
    quiz_files: dict[str, Path] = {}
    variant_files: dict[tuple[str, str], Path] = {}  # (stem, language) -> .nn.md
    variant_quizzes: dict[tuple[str, str], Path] = {}
    module_files: list[tuple[int, str, Path]] = []
    for item in sorted(package.path.iterdir()):
        name = item.name
        if name in ("course.toml", "files") or IGNORED_FILES.match(name):
            continue
        if item.is_dir():
            package.problems.append(Problem(str(item), 1, _("ukjent mappe i kurspakken")))
            continue
        variant_quiz = VARIANT_QUIZ_FILE.match(name)
        variant = VARIANT_MODULE_FILE.match(name)
        quiz = QUIZ_FILE.match(name)
        module = MODULE_FILE.match(name)
        if variant_quiz:
            stem = f"{variant_quiz.group(1)}-{variant_quiz.group(2)}"
            variant_quizzes[(stem, variant_quiz.group(3))] = item
        elif variant:
            variant_files[(f"{variant.group(1)}-{variant.group(2)}", variant.group(3))] = item
        elif quiz:
            quiz_files[f"{quiz.group(1)}-{quiz.group(2)}"] = item
        elif module:
            number, slug = int(module.group(1)), module.group(2)
            if not SLUG.match(slug):
                package.problems.append(Problem(str(item), 1, _(
                    "ugyldig modulnavn «%(slug)s»: bruk små bokstaver a–z, tall og bindestrek",
                    slug=slug)))
                continue
            module_files.append((number, slug, item))
        else:
            package.problems.append(Problem(str(item), 1, _(
                "ukjent fil: moduler heter NN-navn.md og quizer NN-navn.quiz.toml")))
    for number, slug, item in module_files:
        if slug in package.modules:
            package.problems.append(Problem(str(item), 1, _(
                "modulnavnet «%(slug)s» er brukt to ganger", slug=slug)))
            continue
        if number in positions:
            package.problems.append(Problem(str(item), 1, _(
                "nummer %(n)02d er også brukt av «%(other)s»", n=number, other=positions[number])))
        positions[number] = slug
        stem = f"{number:02d}-{slug}"
        quiz_path = quiz_files.pop(stem, None)
        spec = _parse_module(package, item, number, slug, quiz_path)
        if spec is None:
            continue
        package.modules[slug] = spec
        for language in VARIANT_LANGUAGES:
            variant_path = variant_files.pop((stem, language), None)
            variant_quiz_path = variant_quizzes.pop((stem, language), None)
            if variant_path is None and variant_quiz_path is not None:
                package.problems.append(Problem(str(variant_quiz_path), 1, _(
                    "quizvarianten mangler modulvarianten %(stem)s.%(lang)s.md",
                    stem=stem, lang=language)))
            elif variant_path is not None:
                _parse_variant(package, spec, language, variant_path, variant_quiz_path)
    for stem, quiz_path in quiz_files.items():
        package.problems.append(Problem(str(quiz_path), 1, _(
            "quizen hører ikke til noen modul (fant ikke %(stem)s.md)", stem=stem)))
    for (stem, _language), path in [*variant_files.items(), *variant_quizzes.items()]:
        package.problems.append(Problem(str(path), 1, _(
            "varianten hører ikke til noen modul (fant ikke %(stem)s.md)", stem=stem)))
    if not package.module_refs:
        ordered = sorted(package.modules.values(), key=lambda spec: spec.position)
        package.module_refs = [spec.ref for spec in ordered]


@dataclass
class _ModuleText:
    """The parts of a module file: front matter (checked) and Markdown body."""

    data: dict
    title: str
    summary: str
    practice_prompt: str | None
    body: str
    body_line: int


def _read_module_text(package: PackageSpec, path: Path, allowed: dict,
                      required: tuple) -> _ModuleText | None:
    text = read_text(path, package)
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        package.problems.append(Problem(str(path), 1, _(
            "modulen må starte med front matter mellom to linjer med +++")))
        return None
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "+++")
    except StopIteration:
        package.problems.append(Problem(str(path), 1, _("front matter mangler avsluttende +++")))
        return None
    front_text = "\n".join(lines[1:end])
    data = parse_toml(front_text, path, package, line_offset=1)
    if data is None:
        return None
    report = Reporter(package, path, front_text, line_offset=1)
    report.check_keys(data, allowed, required=required)
    if valid(data, "area", str) and data["area"] not in AREAS:
        report.add(_("ukjent område «%(v)s»; gyldige: %(all)s", v=data["area"],
                     all=", ".join(AREAS)), "", "area")
    if valid(data, "minutes", int) and not 1 <= data["minutes"] <= 6000:
        report.add(_("«minutes» må være et positivt antall minutter"), "", "minutes")
    if valid(data, "title", str) and not data["title"].strip():
        report.add(_("«title» kan ikke være tom"), "", "title")
    practice = None
    if valid(data, "practice", dict):
        report.check_keys(data["practice"], PRACTICE_KEYS, "practice", required=("prompt",))
        if valid(data["practice"], "prompt", str):
            practice = data["practice"]["prompt"].strip()
            if not practice:
                report.add(_("«prompt» kan ikke være tom"), "practice", "prompt")
    body = "\n".join(lines[end + 1:])
    if not body.strip():
        package.problems.append(Problem(str(path), end + 2, _("modulen har ingen tekst")))
    _check_file_links(package, path, body, end + 2)
    return _ModuleText(
        data=data, title=data["title"].strip() if valid(data, "title", str) else "",
        summary=data["summary"].strip() if valid(data, "summary", str) else "",
        practice_prompt=practice, body=body, body_line=end + 2)


def _parse_module(package: PackageSpec, path: Path, number: int, slug: str,
                  quiz_path: Path | None) -> ModuleSpec | None:
    parsed = _read_module_text(package, path, FRONT_MATTER_KEYS,
                               required=("title", "area", "minutes"))
    if parsed is None:
        return None
    data = parsed.data
    quiz = None
    digest = hashlib.sha256(path.read_bytes())
    if quiz_path is not None:
        quiz = parse_quiz(package, quiz_path)
        if quiz is not None:
            quiz.resolve(package.quiz_defaults, package.review_defaults)
            if package.certificate is not None and quiz.draw * 2 > len(quiz.questions):
                package.warnings.append(Problem(str(quiz_path), quiz.draw_line, _(
                    "advarsel: quizen trekker %(draw)d av %(n)d spørsmål; med kursbevis bør "
                    "den trekke høyst halvparten, så nye forsøk ikke viser hele utvalget",
                    draw=quiz.draw, n=len(quiz.questions))))
        try:
            digest.update(quiz_path.read_bytes())
        except OSError:
            pass
    return ModuleSpec(
        course_slug=package.slug, slug=slug, position=number, path=path,
        title=parsed.title,
        area=data.get("area", "") if valid(data, "area", str) else "",
        minutes=data["minutes"] if valid(data, "minutes", int) else 0,
        summary=parsed.summary, practice_prompt=parsed.practice_prompt, body=parsed.body,
        body_line=parsed.body_line, quiz=quiz, content_hash=digest.hexdigest(),
    )


def _parse_variant(package: PackageSpec, spec: ModuleSpec, language: str, path: Path,
                   quiz_path: Path | None) -> None:
    """Read NN-slug.<language>.md (and its quiz) into ``spec.variants``. The variant's
    quiz must match the module's quiz in ids and keys, so grading stays shared."""
    parsed = _read_module_text(package, path, VARIANT_FRONT_MATTER_KEYS, required=("title",))
    if parsed is None:
        return
    if parsed.practice_prompt and not spec.practice_prompt:
        package.problems.append(Problem(str(path), 1, _(
            "varianten har en praksisoppgave, men modulen har ingen")))
    variant = ModuleVariant(language=language, path=path, title=parsed.title,
                            summary=parsed.summary, practice_prompt=parsed.practice_prompt,
                            body=parsed.body)
    digest = hashlib.sha256(spec.content_hash.encode())
    digest.update(path.read_bytes())
    if quiz_path is not None:
        if spec.quiz is None and not (spec.path.with_name(
                spec.path.name[:-3] + ".quiz.toml")).is_file():
            package.problems.append(Problem(str(quiz_path), 1, _(
                "quizvarianten har ingen quiz å være variant av (fant ikke %(name)s)",
                name=spec.path.name[:-3] + ".quiz.toml")))
        else:
            variant.quiz = parse_quiz(package, quiz_path)
            if spec.quiz is not None:
                compare_quiz_variant(package, spec.quiz, quiz_path)
        try:
            digest.update(quiz_path.read_bytes())
        except OSError:
            pass
    spec.variants[language] = variant
    spec.content_hash = digest.hexdigest()


_FILE_LINK = re.compile(r"\]\(\s*<?files/([^)\s>#?]*)")


def _check_file_links(package: PackageSpec, path: Path, body: str, first_line: int) -> None:
    for offset, line in enumerate(body.splitlines()):
        for name in _FILE_LINK.findall(line):
            if name not in package.resources:
                package.problems.append(Problem(str(path), first_line + offset, _(
                    "lenken peker på en fil som ikke finnes: files/%(name)s", name=name)))


def _check_module_list(package: PackageSpec) -> None:
    if not package.module_refs and not any(p.message for p in package.problems
                                           if p.path.endswith("course.toml")):
        package.problems.append(Problem(str(package.path / "course.toml"), 1,
                                        _("kurset har ingen moduler")))


# --- a set of packages ------------------------------------------------------------

def check_packages(paths: list[Path], context_paths: list[Path] = ()) -> list[PackageSpec]:
    """Parse the packages under ``paths`` and check references between them.

    References also resolve against packages under ``context_paths`` (the
    platform's configured course folders), so one package can be checked on
    its own. Only packages under ``paths`` are returned.
    """
    targets = find_package_dirs(list(paths))
    context_dirs = [d for d in find_package_dirs(list(context_paths)) if d not in targets]
    packages = {d: parse_package(d) for d in targets}
    context = {d: parse_package(d) for d in context_dirs}
    by_slug: dict[str, PackageSpec] = {}
    for package in list(context.values()) + list(packages.values()):
        by_slug[package.slug] = package
    for package in packages.values():
        _check_references(package, by_slug)
    _check_cycles(list(packages.values()), by_slug)
    for package in packages.values():
        package.version = _package_version(package, by_slug)
    return list(packages.values())


def _check_references(package: PackageSpec, by_slug: dict[str, PackageSpec]) -> None:
    manifest = package.path / "course.toml"
    lines = key_lines(manifest.read_text("utf-8", "replace")) if manifest.is_file() else {}
    for slug in package.prerequisites:
        if slug not in by_slug:
            package.problems.append(Problem(str(manifest), line_of(lines, "", "prerequisites"),
                                            _("forkunnskapskravet «%(v)s» finnes ikke", v=slug)))
    refresher = (package.certificate or {}).get("renewal_course")
    if refresher and refresher not in by_slug:
        package.problems.append(Problem(str(manifest), line_of(lines, "certificate",
                                                               "renewal_course"),
                                        _("oppfriskningskurset «%(v)s» finnes ikke", v=refresher)))
    for ref in package.module_refs:
        course_slug, module_slug = ref.split("/")
        owner = by_slug.get(course_slug)
        if owner is None or module_slug not in owner.modules:
            package.problems.append(Problem(str(manifest), line_of(lines, "", "modules"),
                                            _("modulen «%(v)s» finnes ikke", v=ref)))
        elif owner is not package and not owner.ok:
            package.problems.append(Problem(str(manifest), line_of(lines, "", "modules"), _(
                "modulen «%(v)s» hører til et kurs med feil; rett det kurset først", v=ref)))


def _check_cycles(packages: list[PackageSpec], by_slug: dict[str, PackageSpec]) -> None:
    for package in packages:
        stack = [(package.slug, [package.slug])]
        seen: set[str] = set()
        while stack:
            slug, trail = stack.pop()
            for prerequisite in getattr(by_slug.get(slug), "prerequisites", []):
                if prerequisite == package.slug:
                    manifest = package.path / "course.toml"
                    lines = key_lines(manifest.read_text("utf-8", "replace"))
                    package.problems.append(Problem(
                        str(manifest), line_of(lines, "", "prerequisites"),
                        _("forkunnskapskravene går i ring: %(cycle)s",
                          cycle=" → ".join([*trail, prerequisite]))))
                    stack = []
                    break
                if prerequisite not in seen:
                    seen.add(prerequisite)
                    stack.append((prerequisite, [*trail, prerequisite]))


def _package_version(package: PackageSpec, by_slug: dict[str, PackageSpec]) -> str:
    """A hash of the package's own files and of every module it borrows, and of the
    renderer's version, so a sync re-renders stored HTML when the renderer changes."""
    digest = hashlib.sha256(RENDER_VERSION.encode())
    for item in sorted(package.path.rglob("*")):
        if item.is_file() and not any(part.startswith(".") for part in item.relative_to(
                package.path).parts):
            digest.update(str(item.relative_to(package.path)).encode())
            try:
                digest.update(item.read_bytes())
            except OSError:
                pass
    for ref in package.module_refs:
        course_slug, module_slug = ref.split("/")
        owner = by_slug.get(course_slug)
        if owner is not None and owner is not package and module_slug in owner.modules:
            digest.update(owner.modules[module_slug].content_hash.encode())
    return digest.hexdigest()[:16]
