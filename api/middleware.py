"""ETags and ``If-None-Match`` for the API's GET answers (Django's conditional
GET, limited to ``/api/``)."""

from django.middleware.http import ConditionalGetMiddleware


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)
