environment   = "dev"
region        = "us-east-1"
chat_replicas = 1
chat_exposure = "internal"
kb_replicas   = 1
kb_exposure   = "internal"
kb_mode       = "retrieve"
