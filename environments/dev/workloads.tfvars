environment = "dev"

kb_mode = "retrieve"

# MyRetail's chat history.

# Qdrant (one pod; snapshots volume at least as large as storage).
qdrant_storage_gib          = 10
qdrant_snapshot_storage_gib = 10
qdrant_memory               = "1Gi"

# JupyterHub, reached through kubectl port-forward (README, "JupyterHub"). Replace: the people
# who may sign in (user names; they share a generated password).
jupyterhub_authenticator = "shared-password"
jupyterhub_allowed_users = ["data-scientist", "ml-engineer"]
jupyterhub_admin_users   = ["ml-engineer"]
jupyterhub_exposure      = "cluster"
