from urllib.request import urlopen
from django.http import JsonResponse


def probe(request):
    target = request.GET["target"]
    with urlopen(target, timeout=3) as resp:
        return JsonResponse({"status": resp.status})
