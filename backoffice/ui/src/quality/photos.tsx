/**
 * Quality photos: the files area serves them behind the bearer token, so an <img> cannot fetch them by URL;
 * `AuthPhoto` fetches the bytes and shows them as a data: URL. `uploadPhoto` sends a picked file (shrunk on
 * a canvas first when it is a large camera photo, so a tablet on a shop's Wi-Fi uploads quickly).
 */
import { Image } from '@mantine/core';
import { useEffect, useState } from 'react';
import { session } from '../app/api';

const MAX_SIDE = 1600;

export function AuthPhoto({ url, alt, testId }: { url: string; alt: string; testId?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const token = session.get();
    // A data: URL, not a blob: one: the server's CSP allows images from 'self' and data: only.
    void fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
      .then((r) => (r.ok ? r.blob() : null))
      .then((b) => (b ? dataUrlOf(b) : null))
      .then((d) => live && d && setSrc(d));
    return () => {
      live = false;
    };
  }, [url]);
  return src ? <Image src={src} alt={alt} w={160} h={120} fit="cover" radius="sm" data-testid={testId} /> : <div style={{ width: 160, height: 120, background: '#eee' }} />;
}

const dataUrlOf = (b: Blob) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('unreadable photo'));
    r.readAsDataURL(b);
  });

async function shrink(file: File): Promise<Blob> {
  if (file.size < 1_000_000 || !/^image\/(jpeg|png|webp)$/.test(file.type)) return file;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b ?? file), 'image/jpeg', 0.85));
}

/** Uploads a photo under the store (or the caller's own scope): its file id. */
export async function uploadPhoto(file: File, storeId: string | null): Promise<string> {
  const body = await shrink(file);
  const token = session.get();
  const q = new URLSearchParams({ name: file.name.slice(0, 200) || 'foto.jpg', ...(storeId ? { storeId } : {}) });
  const res = await fetch(`/api/quality/photos?${q}`, { method: 'POST', headers: { 'content-type': body.type || file.type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  const json = (await res.json()) as { id?: string; detail?: string };
  if (!res.ok || !json.id) throw new Error(json.detail ?? `HTTP ${res.status}`);
  return json.id;
}
