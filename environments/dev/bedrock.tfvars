environment = "dev"

collection_standby_replicas = false
collection_public_access    = false

chunking = {
  strategy           = "FIXED_SIZE"
  max_tokens         = 300
  overlap_percentage = 20
}
