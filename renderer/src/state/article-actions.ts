/** Actions of the Article panel: paste, open a file, the sample; the article a draft starts from. */
import type { Article } from '@shared/model/episode';
import { errorMessage, getStudio } from '../transport/studio-client';
import { showError, studio } from './studio-state';

/** Largest file the contract accepts (14 MB of base64 is ~10 MB of bytes). */
const MAX_FILE_BYTES = Math.floor((14_000_000 / 4) * 3);

export function setArticleText(text: string): void {
  studio.set((s) => ({
    articleText: text,
    article: s.article && s.article.text === text ? s.article : null,
  }));
}

export function setArticleTitle(title: string): void {
  studio.set((s) => ({
    articleTitle: title,
    article: s.article && s.article.title === title ? s.article : null,
  }));
}

function adopt(article: Article): void {
  studio.set({ article, articleText: article.text, articleTitle: article.title, banner: null });
}

async function busy<T>(work: () => Promise<T>): Promise<T | undefined> {
  studio.set({ articleBusy: true });
  try {
    return await work();
  } finally {
    studio.set({ articleBusy: false });
  }
}

export async function loadSample(): Promise<void> {
  await busy(async () => {
    try {
      adopt(await getStudio().articleSample({}));
    } catch (err) {
      showError(`Could not load the sample article: ${errorMessage(err)}`);
    }
  });
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Reads an opened .txt/.md file and lets the back end decode and clean it. */
export async function loadFile(file: File): Promise<void> {
  if (file.size > MAX_FILE_BYTES) {
    showError(
      `“${file.name}” is too large (${Math.round(file.size / 1e6)} MB); articles up to 10 MB can be opened.`,
      'too-large',
    );
    return;
  }
  await busy(async () => {
    try {
      const dataBase64 = toBase64(new Uint8Array(await file.arrayBuffer()));
      adopt(await getStudio().articleFromFile({ name: file.name, dataBase64 }));
    } catch (err) {
      showError(`Could not open “${file.name}”: ${errorMessage(err)}`, (err as { code?: string }).code);
    }
  });
}

/**
 * The cleaned article to draft from: the loaded one if the text is untouched, else the panel's
 * text cleaned by the back end. Undefined (with the reason in the banner) when there is none.
 */
export async function currentArticle(): Promise<Article | undefined> {
  const s = studio.get();
  if (s.article && s.article.text === s.articleText) return s.article;
  try {
    const article = await getStudio().articleFromText({
      text: s.articleText,
      title: s.articleTitle || undefined,
    });
    studio.set({ article });
    return article;
  } catch (err) {
    showError(errorMessage(err), (err as { code?: string }).code);
    return undefined;
  }
}
