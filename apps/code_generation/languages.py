"""The languages the API writes code in, with what storing and fencing the code takes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    name: str
    extension: str
    # Tags a model may put after the opening ``` of a block in this language.
    fences: tuple[str, ...]
    # A line comment: the offline stand-in writes its whole answer as comments.
    comment: str


LANGUAGES: dict[str, Language] = {
    language.name: language
    for language in (
        Language("python", "py", ("python", "py", "python3"), "#"),
        Language("javascript", "js", ("javascript", "js", "node"), "//"),
        Language("typescript", "ts", ("typescript", "ts"), "//"),
        Language("java", "java", ("java",), "//"),
        Language("go", "go", ("go", "golang"), "//"),
        Language("rust", "rs", ("rust", "rs"), "//"),
        Language("c", "c", ("c", "h"), "//"),
        Language("cpp", "cpp", ("cpp", "c++", "cc", "cxx", "hpp"), "//"),
        Language("csharp", "cs", ("csharp", "c#", "cs"), "//"),
        Language("kotlin", "kt", ("kotlin", "kt"), "//"),
        Language("swift", "swift", ("swift",), "//"),
        Language("ruby", "rb", ("ruby", "rb"), "#"),
        Language("php", "php", ("php",), "//"),
        Language("scala", "scala", ("scala",), "//"),
        Language("sql", "sql", ("sql", "postgresql", "mysql"), "--"),
        Language("bash", "sh", ("bash", "sh", "shell", "zsh"), "#"),
        Language("powershell", "ps1", ("powershell", "ps1", "pwsh"), "#"),
        Language("terraform", "tf", ("terraform", "hcl", "tf"), "#"),
    )
}
