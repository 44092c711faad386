"""Bedrock agent-runtime replies as the service sends them (validated by Stubber)."""

from __future__ import annotations

from typing import Any

KB_ID = "KBID123456"
BUCKET_URI = "s3://genai-dev-kb-documents-123456789012/documents"


def reference(
    document: str, program: str, name: str, text: str, score: float | None = None
) -> dict[str, Any]:
    """A passage of a document of the corpus, with the sidecar's attributes as metadata."""
    result: dict[str, Any] = {
        "content": {"type": "TEXT", "text": text},
        "location": {"type": "S3", "s3Location": {"uri": f"{BUCKET_URI}/{document}.txt"}},
        "metadata": {
            "program": program,
            "program_name": name,
            "title": f"AWS {name} Competency",
            "source_url": f"https://apn-checklists.s3.amazonaws.com/competency/{program}/consulting/x.html",
            "x-amz-bedrock-kb-source-uri": f"{BUCKET_URI}/{document}.txt",
            "x-amz-bedrock-kb-chunk-id": f"chunk-{document}",
            "x-amz-bedrock-kb-data-source-id": "DSID123456",
        },
    }
    if score is not None:
        result["score"] = score
    return result


SECURITY_TEXT = "The practice must have at least three staff holding the AWS Certified Security Specialty certification."
DEVOPS_TEXT = "The practice must have at least three staff holding the AWS Certified DevOps Engineer Professional certification."


def security(score: float | None = None) -> dict[str, Any]:
    """A fresh copy each time: the LangChain retriever edits the results it is given."""
    return reference("security--program", "security", "Security", SECURITY_TEXT, score)


def devops(score: float | None = None) -> dict[str, Any]:
    return reference("devops--program", "devops", "DevOps", DEVOPS_TEXT, score)
