environment   = "staging"
region        = "us-east-1"
chat_replicas = 2
chat_exposure = "internal"
kb_replicas   = 2
kb_exposure   = "internal"
kb_mode       = "retrieve"
