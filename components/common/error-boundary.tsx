"use client";
import { QueryErrorResetBoundary } from "@tanstack/react-query";
import { Component, type ErrorInfo, type ReactNode } from "react";
import { ErrorState } from "./error-state";

interface BoundaryProps {
  children: ReactNode;
  onReset?: () => void;
  title?: string;
}

class Boundary extends Component<BoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error("section failed to render", error, info.componentStack);
  }

  reset = () => {
    this.props.onReset?.();
    this.setState({ error: null });
  };

  override render() {
    if (this.state.error) return <ErrorState error={this.state.error} retry={this.reset} title={this.props.title} />;
    return this.props.children;
  }
}

/**
 * One section of a page that failed (a query that errored under useSuspenseQuery) shows its error with a
 * retry in place, while the rest of the page stays. "Try again" clears the failed queries' errors, so they
 * fetch again instead of throwing the same error.
 */
export function ErrorBoundary({ children, title }: { children: ReactNode; title?: string }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <Boundary onReset={reset} title={title}>
          {children}
        </Boundary>
      )}
    </QueryErrorResetBoundary>
  );
}
