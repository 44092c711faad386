environment = "prod"

# The apps of apps/*/app.yaml (runs_on: eks-deployment) where prod differs from their declarations.
apps = {
  "claude-chat"     = { replicas = 3 }
  "kb-assistant"    = { replicas = 3 }
  "agent-assistant" = { replicas = 3 }
  "shop-rag"        = { replicas = 3 }
  "myretail-chat"   = { replicas = 3 }
}

kb_mode = "retrieve"

# MyRetail's chat history.

# Qdrant (one pod; snapshots volume at least as large as storage).
qdrant_storage_gib          = 50
qdrant_snapshot_storage_gib = 50
qdrant_memory               = "4Gi"

# JupyterHub, reached through kubectl port-forward (README, "JupyterHub"). Replace: the people
# who may sign in (their e-mail addresses in the Cognito user pool).
jupyterhub_authenticator = "cognito"
jupyterhub_allowed_users = ["data.scientist@example.com", "ml.engineer@example.com"]
jupyterhub_admin_users   = ["ml.engineer@example.com"]
jupyterhub_exposure      = "cluster"
