"""The local server's page: type an instruction, pick a language, get the code and its link.

Plain HTML and fetch. Everything the API returns is rendered with textContent, and the link
is set only for an http(s) URL, so nothing in an answer can become markup or script.
"""

from __future__ import annotations

from html import escape

from code_generation.languages import LANGUAGES

TITLE = "Code generation"
# Followed by the count of model tokens this page session has used.
TOKENS_LINE = "Tokens used in this session: "

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }}
  label {{ display: block; margin-top: 1rem; font-weight: 600; }}
  textarea {{ width: 100%; min-height: 6rem; font: inherit; }}
  button {{ margin-top: 1rem; padding: .5rem 1.2rem; font: inherit; }}
  pre {{ background: #f4f4f4; padding: 1rem; overflow-x: auto; }}
  [role=alert] {{ color: #a40000; white-space: pre-line; }}
  [hidden] {{ display: none; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>Describe the code you need; the answer is stored in S3 with a download link.</p>
<form id="request">
  <label for="instruction">Instruction</label>
  <textarea id="instruction" name="instruction" maxlength="{max_chars}" required
    placeholder="reverse a linked list"></textarea>
  <label for="language">Language</label>
  <select id="language" name="language">{options}</select>
  <button type="submit">Generate code</button>
</form>
<p id="status" role="status"></p>
<p id="tokens">{tokens_line}0</p>
<div id="error" role="alert"></div>
<section id="result" hidden>
  <h2>Generated code</h2>
  <pre><code id="code"></code></pre>
  <p>Stored at <code id="key"></code> (model: <span id="model"></span>)</p>
  <p><a id="download" download>Download</a> (the link expires)</p>
</section>
<script>
const form = document.getElementById("request");
// The model tokens this page's requests have used (each response says its own).
let used = 0;
const show = (id, text) => {{ document.getElementById(id).textContent = text; }};
form.addEventListener("submit", async (event) => {{
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  show("status", "Generating…");
  show("error", "");
  document.getElementById("result").hidden = true;
  try {{
    const response = await fetch("code-generation", {{
      method: "POST",
      headers: {{"Content-Type": "application/json"}},
      body: JSON.stringify({{
        instruction: form.instruction.value,
        language: form.language.value,
      }}),
    }});
    const data = await response.json().catch(() => ({{error: response.statusText}}));
    if (!response.ok) {{
      const problems = (data.problems || []).map((p) => `${{p.field}}: ${{p.message}}`);
      show("error", [`Error ${{response.status}}: ${{data.error}}`, ...problems].join("\\n"));
      show("status", "");
      return;
    }}
    show("code", data.code);
    show("key", data.s3_key);
    show("model", data.model);
    used += data.usage.input_tokens + data.usage.output_tokens;
    show("tokens", `{tokens_line}${{used.toLocaleString("en")}}`);
    const link = document.getElementById("download");
    if (/^https?:\\/\\//.test(data.download_url)) {{
      link.href = data.download_url;
    }} else {{
      link.removeAttribute("href");
    }}
    document.getElementById("result").hidden = false;
    show("status", "Done.");
  }} catch (error) {{
    show("error", `The API could not be reached: ${{error}}`);
    show("status", "");
  }} finally {{
    button.disabled = false;
  }}
}});
</script>
</body>
</html>
"""


def render_page(max_chars: int) -> str:
    options = "".join(
        f'<option value="{escape(name)}">{escape(name)}</option>' for name in LANGUAGES
    )
    return _PAGE.format(
        title=escape(TITLE), options=options, max_chars=max_chars, tokens_line=escape(TOKENS_LINE)
    )
