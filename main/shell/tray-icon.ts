/// <reference types="electron-vite/node" />
/**
 * The tray icon: a key. macOS gets a template image (black and alpha; the menu bar tints it for
 * light and dark mode); Windows and Linux get a white key on a blue square, which reads on light
 * and dark task bars alike. Each comes at 1x and 2x.
 *
 * The PNGs live in build/tray/. The `?asset` imports make electron-vite copy them next to the
 * main bundle (out/main/chunks/, which electron-builder packs with `out/**`) and give their
 * runtime path. The copies get hashed names, so macOS's naming conventions (`…Template.png`,
 * `…@2x.png`) cannot be relied on: the image is assembled from both scales and marked as a
 * template explicitly. The files are read with fs, which reads inside app.asar.
 */
import { readFileSync } from 'node:fs';
import { nativeImage, type NativeImage } from 'electron';
import badge1x from '../../build/tray/tray.png?asset';
import badge2x from '../../build/tray/tray@2x.png?asset';
import template1x from '../../build/tray/trayTemplate.png?asset';
import template2x from '../../build/tray/trayTemplate@2x.png?asset';

export const trayIconFiles = (
  platform: NodeJS.Platform,
): { readonly oneX: string; readonly twoX: string; readonly template: boolean } =>
  platform === 'darwin'
    ? { oneX: template1x, twoX: template2x, template: true }
    : { oneX: badge1x, twoX: badge2x, template: false };

// addRepresentation documents data URLs as PNG or JPEG; its `buffer` is documented as raw pixels.
const pngDataUrl = (file: string): string =>
  `data:image/png;base64,${readFileSync(file).toString('base64')}`;

export const trayIcon = (platform: NodeJS.Platform = process.platform): NativeImage => {
  const files = trayIconFiles(platform);
  const image = nativeImage.createEmpty();
  image.addRepresentation({ scaleFactor: 1, dataURL: pngDataUrl(files.oneX) });
  image.addRepresentation({ scaleFactor: 2, dataURL: pngDataUrl(files.twoX) });
  if (files.template) image.setTemplateImage(true);
  return image;
};
