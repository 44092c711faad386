.PHONY: local test docs

# Start the platform on this machine (no AWS account, no Docker). Ctrl-C stops it.
local:
	scripts/setup-dev
	.venv/bin/python scripts/local_mode.py

# Every check and test: ruff, checkov, trivy, terraform validate and test, contracts, app and browser tests.
test:
	scripts/setup-dev --checks
	scripts/check

# Regenerate the Inputs/Outputs tables of the module READMEs.
docs:
	scripts/setup-dev
	.venv/bin/python scripts/module-docs
