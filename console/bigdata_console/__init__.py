"""bigdata-console: the platform's web console (Kafka topics, Kafka Connect, pipeline overview)."""

# The image tag bigdata-local/console:<version> (bootstrap/docker/images.sh reads this line).
__version__ = "0.2.0"
