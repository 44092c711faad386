environment = "dev"
region      = "us-east-1"

# A demo's trickle of reviews: pay per GB, one task, one day of retention.
stream_mode   = "ON_DEMAND"
force_destroy = true
