environment = "dev"

# MWAA is billed every hour it exists (mw1.small: $0.49/h, about $358 a month): off in dev. The
# work bucket, the Bedrock roles, the DAGs bucket and the Airflow Variables still exist, so the
# DAGs run from a laptop (dag.test()) against them. Turn it on for a while with
# -var mwaa_enabled=true, or here.
mwaa_enabled      = false
environment_class = "mw1.small"
min_workers       = 1
max_workers       = 2
