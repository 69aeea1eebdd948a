import json
from django.http import JsonResponse


def import_prefs(request):
    prefs = json.loads(request.body)
    return JsonResponse({"keys": sorted(prefs)})
