/**
 * A sign-in with a code (RFC 8628) waiting for the user: the code, large and selectable, the
 * page to type it on, Copy code and Open page (both done by main, which holds the code and the
 * page: the renderer names the provider only), and a countdown to the code's expiry.
 */
import { useId } from 'react';
import type { DeviceSignIn } from '../../../shared/model';
import { useClockText } from '../time/clock';
import { formatDuration } from '../time/format-countdown';

export const deviceCountdownText = (expiresAt: number, now: number): string => {
  const seconds = Math.ceil((expiresAt - now) / 1000);
  return seconds > 0 ? `The code expires in ${formatDuration(seconds)}.` : 'The code has expired.';
};

interface DeviceCodePanelProps {
  readonly providerLabel: string;
  readonly device: DeviceSignIn;
  readonly onCopy: () => void;
  readonly onOpen: () => void;
}

export const DeviceCodePanel = ({
  providerLabel,
  device,
  onCopy,
  onOpen,
}: DeviceCodePanelProps) => {
  const id = useId();
  const countdown = useClockText<HTMLParagraphElement>(
    (now) => deviceCountdownText(device.expiresAt, now),
    [device.expiresAt],
  );
  return (
    <div className="device-code" role="group" aria-labelledby={`${id}-label`}>
      <p id={`${id}-label`} className="device-code-label">
        Enter this code at {providerLabel}:
      </p>
      {/* Not an <output>: that is a live region, and the status above already speaks. */}
      <p className="device-code-value" data-testid="device-code">
        {device.userCode}
      </p>
      <p className="device-code-page">
        on <span className="device-code-uri">{device.verificationUri}</span>
      </p>
      <p ref={countdown} className="field-hint" data-testid="device-code-countdown" />
      <div className="device-code-actions">
        <button type="button" onClick={onCopy} aria-label={`Copy code for ${providerLabel}`}>
          Copy code
        </button>
        <button type="button" onClick={onOpen} aria-label={`Open page for ${providerLabel}`}>
          Open page
        </button>
      </div>
    </div>
  );
};
