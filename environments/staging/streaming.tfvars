environment = "staging"
region      = "us-east-1"

stream_mode            = "ON_DEMAND"
stream_retention_hours = 48
