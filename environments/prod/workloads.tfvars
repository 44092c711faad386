environment   = "prod"
region        = "us-east-1"
chat_replicas = 3
chat_exposure = "internal"
kb_replicas   = 3
kb_exposure   = "internal"
kb_mode       = "retrieve"
