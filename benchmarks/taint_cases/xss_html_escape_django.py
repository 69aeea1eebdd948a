import html
from django.http import HttpResponse


def greet(request):
    name = html.escape(request.GET.get("name", ""))
    return HttpResponse(f"<p>Hi {name}</p>")
