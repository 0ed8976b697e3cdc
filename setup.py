"""Packaging hook: installs the top-level migrations/ and resources/ inside the casefile package."""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["casefile", "casefile.*", "ui", "ui.*"]),
        "casefile.migrations",
        "casefile.migrations.versions",
        "casefile.resources",
    ],
    package_dir={"casefile.migrations": "migrations", "casefile.resources": "resources"},
    package_data={
        "casefile.migrations": ["*.py", "*.mako", "versions/*.py"],
        "casefile.resources": ["**/*"],
        "casefile": ["**/*.json"],
    },
    include_package_data=False,
)
