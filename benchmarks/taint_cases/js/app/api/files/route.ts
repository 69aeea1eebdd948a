import { readFile } from 'fs/promises';
import { NextRequest } from 'next/server';

export async function GET(request: NextRequest) {
  const name = request.nextUrl.searchParams.get('name') ?? '';
  const body = await readFile(`/srv/exports/${name}`);
  return new Response(body);
}
