"""The code-generation API: an instruction and a language in, code stored in S3 and returned.

API Gateway (HTTP API, IAM authorization) invokes :mod:`code_generation.handler`; the terminal
client is :mod:`code_generation.client`; ``python -m code_generation serve`` runs the same
handler on a local port (:mod:`code_generation.local_server`).
"""
