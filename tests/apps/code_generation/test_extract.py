from __future__ import annotations

from code_generation.extract import extract_code
from code_generation.languages import LANGUAGES

GO = LANGUAGES["go"]


def test_prefers_the_block_in_the_language() -> None:
    answer = "Run:\n```bash\ngo run .\n```\nCode:\n```golang\nfunc main() {}\n```\n"
    assert extract_code(answer, GO) == "func main() {}\n"


def test_falls_back_to_the_first_block() -> None:
    assert extract_code("```\nfunc main() {}\n```", GO) == "func main() {}\n"


def test_keeps_nested_shorter_fences_inside_a_longer_one() -> None:
    answer = "````go\n// Example:\n// ```\nfunc main() {}\n````"
    assert extract_code(answer, GO) == "// Example:\n// ```\nfunc main() {}\n"


def test_no_block_or_an_unclosed_or_empty_one_is_none() -> None:
    assert extract_code("just prose", GO) is None
    assert extract_code("```go\nfunc main(", GO) is None
    assert extract_code("```go\n\n```", GO) is None
