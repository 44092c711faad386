environment = "staging"

# mw1.small, one worker that may become two: about $358 a month, plus $0.055 an hour while the
# second worker runs.
mwaa_enabled      = true
environment_class = "mw1.small"
min_workers       = 1
max_workers       = 2
