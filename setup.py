"""Build step of the wheel: it must carry what the app reads outside forum/ in a checkout
(templates/, migrations/) and the compiled translations (*.mo are not kept in git)."""

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
APP_FOLDERS = ("templates", "migrations")


def compile_translations(source: Path, target: Path) -> None:
    for po_file in source.glob("*/LC_MESSAGES/*.po"):
        with po_file.open("rb") as po:
            catalog = read_po(po, locale=po_file.parent.parent.name)
        mo_file = target / po_file.relative_to(source).with_suffix(".mo")
        mo_file.parent.mkdir(parents=True, exist_ok=True)
        with mo_file.open("wb") as mo:
            write_mo(mo, catalog)  # fuzzy entries left out, as `pybabel compile` does


class BuildWithAppFiles(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        package = Path(self.build_lib) / "forum"
        for folder in APP_FOLDERS:
            shutil.copytree(
                ROOT / folder,
                package / folder,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        compile_translations(ROOT / "forum" / "translations", package / "translations")


setup(cmdclass={"build_py": BuildWithAppFiles})
