"""Plain error pages: what went wrong in words, never a traceback."""

from django.http import JsonResponse
from django.shortcuts import render

#: The read-only API (api/) answers its errors as JSON, like its endpoints do.
API_PREFIX = "/api/"


def not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Something went wrong on our side: try again later."}, status=500)
    # No request context processors here: the database may be the thing that failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render())
