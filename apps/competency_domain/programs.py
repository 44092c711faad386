"""The AWS Competency programs the knowledge base covers, and where their pages are."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Program:
    """One competency program: its slug (file names, metadata filters), name and page."""

    slug: str
    name: str
    url: str


# The consulting-partner validation checklists of the eight programs the assistant covers.
PROGRAMS: tuple[Program, ...] = (
    Program(
        "conversational-ai",
        "Conversational AI",
        "https://apn-checklists.s3.amazonaws.com/competency/conversational-ai/consulting/Cvkq1FdL1.html",
    ),
    Program(
        "data-and-analytics",
        "Data and Analytics",
        "https://apn-checklists.s3.amazonaws.com/competency/data-and-analytics/consulting/CwDeMHw3L.html",
    ),
    Program(
        "devops",
        "DevOps",
        "https://apn-checklists.s3.amazonaws.com/competency/devops/consulting/Cm5yq5ehT.html",
    ),
    Program(
        "education",
        "Education",
        "https://apn-checklists.s3.amazonaws.com/competency/education/consulting/Ccf_WVoOo.html",
    ),
    Program(
        "energy",
        "Energy",
        "https://apn-checklists.s3.amazonaws.com/competency/energy/consulting/CTpftZxbZ.html",
    ),
    Program(
        "financial-services",
        "Financial Services",
        "https://apn-checklists.s3.amazonaws.com/competency/financial-services/consulting/CWNIstW4j.html",
    ),
    Program(
        "machine-learning",
        "Machine Learning",
        "https://apn-checklists.s3.amazonaws.com/competency/machine-learning/consulting/CDrF84yod.html",
    ),
    Program(
        "security",
        "Security",
        "https://apn-checklists.s3.amazonaws.com/competency/security/consulting/CXLOf6Hk3.html",
    ),
)
