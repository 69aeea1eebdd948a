import os
from django.http import HttpResponse


def convert(request):
    fmt = request.POST.get("format", "png")
    name = request.POST["name"]
    stream = os.popen("convert /srv/img/%s /tmp/out.%s" % (name, fmt))
    return HttpResponse(stream.read(), content_type="text/plain")
