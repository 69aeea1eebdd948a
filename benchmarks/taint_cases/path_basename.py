import os
from django.http import FileResponse

THUMBS = "/srv/thumbs"


def thumbnail(request):
    name = os.path.basename(request.GET["name"])
    return FileResponse(open(os.path.join(THUMBS, name), "rb"))
