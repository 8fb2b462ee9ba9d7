import '@mantine/tiptap/styles.css';
import { Alert, Button, Group, Stack } from '@mantine/core';
import { Link, RichTextEditor } from '@mantine/tiptap';
import { useQueryClient } from '@tanstack/react-query';
import { useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { put } from '../../api/client';
import { problemMessage } from '../../i18n';
import { refresh } from './content';
import type { DocumentDetail } from './types';

/** The rich-text editor of a draft's content (tiptap in Mantine); the server sanitises what it saves. */
export default function ContentEditor({ doc, onDone }: { doc: DocumentDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: false }), Link],
    content: doc.contentHtml,
    immediatelyRender: true,
  });
  const labels = {
    boldControlLabel: t('documents.editor.bold'),
    italicControlLabel: t('documents.editor.italic'),
    underlineControlLabel: t('documents.editor.underline'),
    strikeControlLabel: t('documents.editor.strike'),
    h2ControlLabel: t('documents.editor.h2'),
    h3ControlLabel: t('documents.editor.h3'),
    bulletListControlLabel: t('documents.editor.bulletList'),
    orderedListControlLabel: t('documents.editor.orderedList'),
    blockquoteControlLabel: t('documents.editor.blockquote'),
    linkControlLabel: t('documents.editor.link'),
    unlinkControlLabel: t('documents.editor.unlink'),
    undoControlLabel: t('documents.editor.undo'),
    redoControlLabel: t('documents.editor.redo'),
  };
  const save = async () => {
    if (!editor) return;
    setSaving(true);
    setError(null);
    try {
      const updated = await put<DocumentDetail>(`/documents/${doc.id}/content`, { html: editor.getHTML() });
      refresh(queryClient, doc, updated);
      onDone();
    } catch (err) {
      setError(problemMessage(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Stack gap="sm">
      <RichTextEditor editor={editor} labels={labels} data-testid="content-editor">
        <RichTextEditor.Toolbar sticky>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Bold />
            <RichTextEditor.Italic />
            <RichTextEditor.Underline />
            <RichTextEditor.Strikethrough />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.H2 />
            <RichTextEditor.H3 />
            <RichTextEditor.BulletList />
            <RichTextEditor.OrderedList />
            <RichTextEditor.Blockquote />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Link />
            <RichTextEditor.Unlink />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Undo />
            <RichTextEditor.Redo />
          </RichTextEditor.ControlsGroup>
        </RichTextEditor.Toolbar>
        <RichTextEditor.Content />
      </RichTextEditor>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button onClick={save} loading={saving}>
          {t('documents.content.save')}
        </Button>
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
