"""The REST API (``/api/v1/``): people, catalog, learning, results and certificates
for outside systems, on Django REST framework, with OAuth2 client credentials and
personal access tokens."""
