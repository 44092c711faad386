environment = "staging"

stream_mode            = "ON_DEMAND"
stream_retention_hours = 48
