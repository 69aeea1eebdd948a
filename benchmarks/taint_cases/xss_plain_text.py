from django.http import HttpResponse


def ping(request):
    who = request.GET.get("who", "")
    return HttpResponse("<pong> " + who, content_type="text/plain")
