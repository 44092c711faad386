environment = "staging"

kb_mode = "retrieve"

# Staging opts out of its tier's deletion protection, so that it can be torn down and rebuilt.
shop_history_deletion_protection = false

# Qdrant (one pod; snapshots volume at least as large as storage).
qdrant_storage_gib          = 20
qdrant_snapshot_storage_gib = 20
qdrant_memory               = "2Gi"

# JupyterHub, reached through kubectl port-forward (README, "JupyterHub"). Replace: the people
# who may sign in (their e-mail addresses in the Cognito user pool).
jupyterhub_authenticator       = "cognito"
jupyterhub_allowed_users       = ["data.scientist@example.com", "ml.engineer@example.com"]
jupyterhub_admin_users         = ["ml.engineer@example.com"]
jupyterhub_exposure            = "cluster"
jupyterhub_deletion_protection = false # the tier's opt-out, as above
