environment = "prod"

collection_standby_replicas = true
collection_public_access    = false

chunking = {
  strategy           = "FIXED_SIZE"
  max_tokens         = 300
  overlap_percentage = 20
}
