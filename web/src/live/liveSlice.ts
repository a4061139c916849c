import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

export type LiveStatus = 'idle' | 'connecting' | 'online' | 'offline';

const liveSlice = createSlice({
  name: 'live',
  initialState: { status: 'idle' as LiveStatus, reconnects: 0, retryInMs: 0 },
  reducers: {
    statusChanged: (state, action: PayloadAction<{ status: LiveStatus; retryInMs?: number }>) => {
      if (action.payload.status === 'online' && state.status === 'offline') state.reconnects += 1;
      state.status = action.payload.status;
      state.retryInMs = action.payload.retryInMs ?? 0;
    },
  },
});

export const { statusChanged } = liveSlice.actions;
export default liveSlice.reducer;
