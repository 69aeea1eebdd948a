from django.http import HttpResponse


def profile_banner(request):
    nick = request.GET.get("nick", "")
    body = "<html><body>"
    body += "<span>" + nick + "</span>"
    body += "</body></html>"
    return HttpResponse(body)
