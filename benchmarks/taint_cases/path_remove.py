import os
from django.http import JsonResponse

MEDIA = "/srv/media"


def delete_media(request):
    rel = request.POST["path"]
    os.remove(MEDIA + "/" + rel)
    return JsonResponse({"deleted": rel})
