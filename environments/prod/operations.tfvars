environment = "prod"

# mw1.small: the DAGs mostly wait on Bedrock jobs (deferrable sensors). Up to four workers when
# the KB refresh, an evaluation and a batch day overlap ($0.055 an hour each above the first).
mwaa_enabled      = true
environment_class = "mw1.small"
min_workers       = 1
max_workers       = 4
schedulers        = 2
