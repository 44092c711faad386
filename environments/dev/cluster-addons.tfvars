environment = "dev"
region      = "us-east-1"
