environment    = "dev"
region         = "us-east-1"
chat_replicas  = 1
chat_exposure  = "internal"
kb_replicas    = 1
kb_exposure    = "internal"
kb_mode        = "retrieve"
agent_replicas = 1
agent_exposure = "internal"

# MyRetail: shopping API (in the cluster only), chatbot (internal NLB), chat history.
shop_rag_replicas                = 1
shop_rag_exposure                = "cluster"
myretail_chat_replicas           = 1
myretail_chat_exposure           = "internal"
shop_history_deletion_protection = false

# Qdrant (one pod; snapshots volume at least as large as storage).
qdrant_storage_gib          = 10
qdrant_snapshot_storage_gib = 10
qdrant_memory               = "1Gi"

# JupyterHub, reached through kubectl port-forward (README, "JupyterHub"). Replace: the people
# who may sign in (user names; they share a generated password).
jupyterhub_authenticator       = "shared-password"
jupyterhub_allowed_users       = ["data-scientist", "ml-engineer"]
jupyterhub_admin_users         = ["ml-engineer"]
jupyterhub_exposure            = "cluster"
jupyterhub_deletion_protection = false
