environment = "prod"

stream_mode                 = "ON_DEMAND"
stream_retention_hours      = 168
flink_parallelism           = 2
flink_auto_scaling          = true
collection_standby_replicas = true
