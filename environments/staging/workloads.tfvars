environment    = "staging"
region         = "us-east-1"
chat_replicas  = 2
chat_exposure  = "internal"
kb_replicas    = 2
kb_exposure    = "internal"
kb_mode        = "retrieve"
agent_replicas = 2
agent_exposure = "internal"

# MyRetail: shopping API (in the cluster only), chatbot (internal NLB), chat history.
shop_rag_replicas                = 2
shop_rag_exposure                = "cluster"
myretail_chat_replicas           = 2
myretail_chat_exposure           = "internal"
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
jupyterhub_deletion_protection = false
